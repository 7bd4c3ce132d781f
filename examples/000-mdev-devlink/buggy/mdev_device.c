// SPDX-License-Identifier: GPL-2.0-only
/*
 * 000-mdev-devlink, buggy (rw_semaphore): mediated device create and
 * remove. Both hold parent->unreg_sem for read while they call the parent
 * driver (parent->ops->create / ->remove); the nxe driver's create
 * callback registers a devlink instance, which takes devlink_mutex.
 */
/* expect: none */

#include "scenario.h"

static void mdev_device_release(struct device *dev)
{
	struct mdev_device *mdev = to_mdev_device(dev);

	mdev_put_parent(mdev->parent);
	kfree(mdev);
}

void mdev_device_remove_common(struct mdev_device *mdev)
{
	struct mdev_parent *parent = mdev->parent;
	int ret;

	lockdep_assert_held(&parent->unreg_sem);
	device_del(&mdev->dev);
	ret = parent->ops->remove(mdev);
	if (ret)
		dev_err(&mdev->dev, "remove failed: %d\n", ret);
	put_device(&mdev->dev);
}

int mdev_device_create(struct mdev_parent *parent, const guid_t *uuid)
{
	struct mdev_device *mdev;
	int ret;

	if (!mdev_get_parent(parent))
		return -EINVAL;

	/* Unregistration holds unreg_sem for write: back off, don't wait. */
	if (!down_read_trylock(&parent->unreg_sem)) {
		ret = -ENODEV;
		goto out_put;
	}

	mdev = kzalloc(sizeof(*mdev), GFP_KERNEL);
	if (!mdev) {
		ret = -ENOMEM;
		goto out_up;
	}
	guid_copy(&mdev->uuid, uuid);
	mdev->parent = parent;
	device_initialize(&mdev->dev);
	mdev->dev.parent = parent->dev;
	mdev->dev.release = mdev_device_release;

	ret = parent->ops->create(mdev);
	if (ret)
		goto out_free;

	ret = device_add(&mdev->dev);
	if (ret)
		goto out_remove;

	mdev->active = true;
	up_read(&parent->unreg_sem);
	return 0;

out_remove:
	parent->ops->remove(mdev);
out_free:
	/* the release callback drops the parent reference */
	put_device(&mdev->dev);
	up_read(&parent->unreg_sem);
	return ret;
out_up:
	up_read(&parent->unreg_sem);
out_put:
	mdev_put_parent(parent);
	return ret;
}

int mdev_device_remove(struct mdev_device *mdev)
{
	struct mdev_parent *parent = mdev->parent;

	if (!mdev->active)
		return -EAGAIN;
	mdev->active = false;

	down_read(&parent->unreg_sem);
	mdev_device_remove_common(mdev);
	up_read(&parent->unreg_sem);
	return 0;
}

static ssize_t remove_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	unsigned long val;
	int ret;

	if (kstrtoul(buf, 0, &val) < 0)
		return -EINVAL;
	if (!val)
		return count;

	ret = mdev_device_remove(to_mdev_device(dev));
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(remove);
