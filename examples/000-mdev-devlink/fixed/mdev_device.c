// SPDX-License-Identifier: GPL-2.0-only
/*
 * 000-mdev-devlink, fixed: mediated device create and remove run
 * inside a parent->unreg_srcu read-side section, and back off when
 * parent->self has been cleared by unregistration. The nxe driver's
 * create callback registers a devlink instance (devlink_mutex) from
 * inside that read-side section.
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

	device_del(&mdev->dev);
	ret = parent->ops->remove(mdev);
	if (ret)
		dev_err(&mdev->dev, "remove failed: %d\n", ret);
	put_device(&mdev->dev);
}

int mdev_device_create(struct mdev_parent *parent, const guid_t *uuid)
{
	struct mdev_device *mdev;
	int srcu_idx;
	int ret;

	if (!mdev_get_parent(parent))
		return -EINVAL;

	srcu_idx = srcu_read_lock(&parent->unreg_srcu);
	if (!srcu_dereference(parent->self, &parent->unreg_srcu)) {
		/* the parent is being unregistered */
		ret = -ENODEV;
		goto out_unlock;
	}

	mdev = kzalloc(sizeof(*mdev), GFP_KERNEL);
	if (!mdev) {
		ret = -ENOMEM;
		goto out_unlock;
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
	srcu_read_unlock(&parent->unreg_srcu, srcu_idx);
	return 0;

out_remove:
	parent->ops->remove(mdev);
out_free:
	/* the release callback drops the parent reference */
	put_device(&mdev->dev);
	srcu_read_unlock(&parent->unreg_srcu, srcu_idx);
	return ret;
out_unlock:
	srcu_read_unlock(&parent->unreg_srcu, srcu_idx);
	mdev_put_parent(parent);
	return ret;
}

int mdev_device_remove(struct mdev_device *mdev)
{
	struct mdev_parent *parent = mdev->parent;
	int srcu_idx;

	if (!mdev->active)
		return -EAGAIN;

	srcu_idx = srcu_read_lock(&parent->unreg_srcu);
	if (!srcu_dereference(parent->self, &parent->unreg_srcu)) {
		srcu_read_unlock(&parent->unreg_srcu, srcu_idx);
		return -ENODEV;
	}
	mdev->active = false;
	mdev_device_remove_common(mdev);
	srcu_read_unlock(&parent->unreg_srcu, srcu_idx);
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
