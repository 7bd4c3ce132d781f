// SPDX-License-Identifier: GPL-2.0-only
/*
 * 004-mdev-uuid, buggy: mdev UUIDs must be unique across all parents, so
 * one global mdev_list_lock guards mdev_list. A new device goes on the
 * list at once with active == false, reserving its UUID, and the lock is
 * dropped while the device is set up. Every early exit must drop the
 * lock; the duplicate-UUID exit in mdev_device_create() returns with it
 * still held, and the next create or remove blocks forever.
 */
/* expect: lock-imbalance mdev_list_lock */

#include "scenario.h"

static LIST_HEAD(mdev_list);
static DEFINE_MUTEX(mdev_list_lock);

static void mdev_device_release(struct device *dev)
{
	struct mdev_device *mdev = to_mdev_device(dev);

	mutex_lock(&mdev_list_lock);
	list_del(&mdev->next);
	mutex_unlock(&mdev_list_lock);

	dev_dbg(&mdev->dev, "mdev released\n");
	kfree(mdev);
}

int mdev_device_create(struct mdev_type *type, const guid_t *uuid)
{
	struct mdev_parent *parent = type->parent;
	struct mdev_device *mdev, *tmp;
	int ret;

	mutex_lock(&mdev_list_lock);

	/* Check for a duplicate under every parent, not just this one. */
	list_for_each_entry(tmp, &mdev_list, next) {
		if (guid_equal(&tmp->uuid, uuid))
			return -EEXIST;
	}

	mdev = kzalloc(sizeof(*mdev), GFP_KERNEL);
	if (!mdev) {
		mutex_unlock(&mdev_list_lock);
		return -ENOMEM;
	}
	guid_copy(&mdev->uuid, uuid);
	list_add(&mdev->next, &mdev_list);	/* reserved, not yet active */
	mutex_unlock(&mdev_list_lock);

	mdev->parent = parent;
	mdev->type = type;
	device_initialize(&mdev->dev);
	mdev->dev.parent = parent->dev;
	mdev->dev.release = mdev_device_release;
	dev_set_name(&mdev->dev, "%pUl", uuid);

	ret = device_add(&mdev->dev);
	if (ret)
		goto out_put;
	ret = parent->ops->create(mdev);
	if (ret)
		goto out_del;
	ret = mdev_create_sysfs_files(mdev);
	if (ret)
		goto out_remove;

	mutex_lock(&mdev_list_lock);
	mdev->active = true;
	mutex_unlock(&mdev_list_lock);
	dev_dbg(&mdev->dev, "mdev ready\n");
	return 0;

out_remove:
	parent->ops->remove(mdev);
out_del:
	device_del(&mdev->dev);
out_put:
	/* the release callback takes it off mdev_list */
	put_device(&mdev->dev);
	return ret;
}

int mdev_device_remove(struct mdev_device *mdev)
{
	struct mdev_device *tmp;
	int ret;

	scoped_guard(mutex, &mdev_list_lock) {
		list_for_each_entry(tmp, &mdev_list, next)
			if (tmp == mdev)
				break;
		if (tmp != mdev)
			return -ENODEV;
		/* still being created, or another remove got here first */
		if (!mdev->active)
			return -EAGAIN;
		mdev->active = false;
	}

	ret = mdev->parent->ops->remove(mdev);
	if (ret) {
		guard(mutex)(&mdev_list_lock);
		mdev->active = true;
		return ret;
	}

	mdev_remove_sysfs_files(mdev);
	device_unregister(&mdev->dev);
	return 0;
}
